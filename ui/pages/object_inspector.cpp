#include "pages/object_inspector.h"

#include "charts/object_inspector_chart.h"
#include "charts/thumbnail_cache.h"
#include "controllers/object_alignment_controller.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QSet>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <numeric>

using namespace alignscope;

namespace {

QString number(double value)
{
    return std::isfinite(value) ? QString::number(value, 'f', 3) : QStringLiteral("—");
}

QString trFigure(const char* text)
{
    return QCoreApplication::translate("ObjectInspectorFigure", text);
}

QString shortNumber(double value)
{
    return std::isfinite(value) ? QString::number(value, 'f', 2) : QStringLiteral("–");
}

} // namespace

ObjectInspectorFigure objectInspectorFigure(const OddOneOutAnalysis* analysis,
                                            const ObjectAlignmentResult* result, int stimulus, int model,
                                            const std::function<QImage(const std::string& path)>& image)
{
    ObjectInspectorFigure out;
    if (!analysis || !result || stimulus < 0 || size_t(stimulus) >= analysis->stimuli->size() || model < 0 ||
        size_t(model) >= analysis->models.size() || size_t(model) >= result->alignment.models.size()) {
        out.message = trFigure("Select an object to see how a model and people see it.");
        return out;
    }
    const StimulusSet& stimuli = *analysis->stimuli;
    const size_t object = size_t(stimulus);
    const auto imageOf = [&](size_t s) {
        return s < stimuli.imagePaths.size() && !stimuli.imagePaths[s].empty() && image
                   ? image(stimuli.imagePaths[s])
                   : QImage();
    };
    out.withImages = !stimuli.imagePaths.empty();
    out.title = QString::fromStdString(stimuli.displayName(object));
    out.image = imageOf(object);
    QString identity = trFigure("ID %1").arg(QString::fromStdString(stimuli.id(object)));
    if (object < stimuli.categories.size() && !stimuli.categories[object].empty())
        identity += trFigure(", category %1").arg(QString::fromStdString(stimuli.categories[object]));
    out.facts << identity;
    const QString modelName = QString::fromStdString(analysis->models[size_t(model)].name);
    const ObjectAccuracy& accuracy = result->alignment.models[size_t(model)][object];
    out.facts << trFigure("%1: accuracy %2 over its %3 triplets (95% interval %4 to %5)")
                     .arg(modelName, shortNumber(accuracy.accuracy))
                     .arg(accuracy.triplets)
                     .arg(shortNumber(accuracy.ci95.low), shortNumber(accuracy.ci95.high));
    // The strongest dimensions of its concept embedding (VICE's are sparse: a handful above zero).
    if (result->conceptDims > 0 &&
        result->conceptValues.size() >= (object + 1) * size_t(result->conceptDims)) {
        const float* row = result->conceptValues.data() + object * size_t(result->conceptDims);
        std::vector<int> order(size_t(result->conceptDims));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [row](int a, int b) { return row[a] > row[b]; });
        for (int d : order) {
            if (int(out.concepts.size()) == kInspectorConcepts || !(row[d] > 0)) break;
            out.concepts.push_back({size_t(d) < result->conceptLabels.size()
                                        ? QString::fromStdString(result->conceptLabels[size_t(d)])
                                        : trFigure("dimension %1").arg(d + 1),
                                    double(row[d])});
        }
    }
    if (size_t(model) < result->neighbours.size()) {
        const NeighbourComparison& comparison = result->neighbours[size_t(model)];
        const ObjectNeighbours& neighbours = comparison.objects[object];
        out.facts << trFigure("%1 of its %2 nearest neighbours shared (Jaccard %3), Spearman's rho of its "
                              "similarities %4")
                         .arg(neighbours.shared)
                         .arg(comparison.k)
                         .arg(shortNumber(neighbours.jaccard), shortNumber(neighbours.spearman));
        out.modelHeading = trFigure("Nearest under %1").arg(modelName);
        out.humanHeading =
            trFigure("Nearest under people (%1)").arg(QString::fromStdString(result->humanName));
        const QSet<std::int64_t> human(neighbours.human.begin(), neighbours.human.end());
        const QSet<std::int64_t> modelSet(neighbours.model.begin(), neighbours.model.end());
        for (std::int64_t s : neighbours.model)
            out.model.push_back({QString::fromStdString(stimuli.displayName(size_t(s))), imageOf(size_t(s)),
                                 human.contains(s)});
        for (std::int64_t s : neighbours.human)
            out.human.push_back({QString::fromStdString(stimuli.displayName(size_t(s))), imageOf(size_t(s)),
                                 modelSet.contains(s)});
    }
    return out;
}

ObjectInspector::ObjectInspector(ObjectAlignmentController* controller, ThumbnailCache* thumbnails,
                                 QWidget* parent)
    : QWidget(parent), m_controller(controller), m_thumbnails(thumbnails), m_figureModel(new QComboBox(this)),
      m_chart(new ObjectInspectorChart(this)), m_details(new QLabel(this))
{
    m_figureModel->setObjectName(QStringLiteral("inspectorModel"));
    m_chart->setObjectName(QStringLiteral("inspectorChart"));
    m_details->setObjectName(QStringLiteral("objectDetails"));
    m_details->setTextFormat(Qt::RichText);
    m_details->setWordWrap(true);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* choice = new QHBoxLayout;
    choice->addWidget(new QLabel(tr("Neighbours under"), this));
    choice->addWidget(m_figureModel, 1);
    auto* layout = new QVBoxLayout(this); // the picture above: the text gets the panel's width
    layout->addLayout(choice);
    layout->addWidget(m_chart);
    layout->addWidget(m_details, 1);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::LinksAccessibleByMouse);
    connect(m_details, &QLabel::linkActivated, this, [this](const QString& link) {
        bool ok = false;
        const int model = link.section(QLatin1Char(':'), 1).toInt(&ok);
        if (link.startsWith(QLatin1String("triplets:")) && ok) openTriplets(model);
    });
    connect(controller, &ObjectAlignmentController::alignmentChanged, this, [this] {
        // The models of the new analysis; the one chosen stays when it is still there.
        const QString previous = m_figureModel->currentText();
        const QSignalBlocker quiet(m_figureModel);
        m_figureModel->clear();
        if (const auto analysis = m_controller->analysis())
            for (const ModelAnalysis& model : analysis->models)
                m_figureModel->addItem(QString::fromStdString(model.name));
        m_figureModel->setCurrentIndex(std::max(0, m_figureModel->findText(previous)));
        refresh();
    });
    connect(m_figureModel, &QComboBox::currentIndexChanged, this, &ObjectInspector::refresh);
    // Twenty-one images arrive one by one: one repaint for those that arrive together.
    connect(thumbnails, &ThumbnailCache::thumbnailReady, this, [this] { m_refreshSoon.request(); });
    refresh();
}

void ObjectInspector::setFigureModel(int model)
{
    m_figureModel->setCurrentIndex(model);
}

int ObjectInspector::figureModel() const
{
    return m_figureModel->currentIndex();
}

ObjectInspectorFigure ObjectInspector::exportedFigure() const
{
    return objectInspectorFigure(
        m_controller->analysis().get(), m_controller->result().get(), m_object, std::max(0, figureModel()),
        [this](const std::string& path) { return m_thumbnails->getNow(QString::fromStdString(path)); });
}

void ObjectInspector::setObject(int stimulus)
{
    m_object = stimulus;
    refresh();
}

QString ObjectInspector::text() const
{
    return m_details->text();
}

void ObjectInspector::openTriplets(int model)
{
    const auto analysis = m_controller->analysis();
    if (m_object < 0 || !analysis || model < 0 || size_t(model) >= analysis->models.size()) return;
    Q_EMIT tripletsRequested(m_object, model);
}

void ObjectInspector::refresh()
{
    const auto analysis = m_controller->analysis();
    const auto result = m_controller->result();
    m_chart->setFigure(objectInspectorFigure(
        analysis.get(), result.get(), m_object, std::max(0, figureModel()),
        [this](const std::string& path) { return m_thumbnails->get(QString::fromStdString(path)); }));
    if (!analysis || !result || m_object < 0 || size_t(m_object) >= analysis->stimuli->size()) {
        m_details->setText(tr("Select an object in the table to see how each model and people see it."));
        return;
    }
    const StimulusSet& stimuli = *analysis->stimuli;
    const size_t object = size_t(m_object);
    const auto name = [&stimuli](std::int64_t s) {
        return QString::fromStdString(stimuli.displayName(size_t(s))).toHtmlEscaped();
    };
    QString html = QStringLiteral("<h3>%1</h3><p>ID %2")
                       .arg(name(m_object), QString::fromStdString(stimuli.id(object)).toHtmlEscaped());
    if (object < stimuli.categories.size() && !stimuli.categories[object].empty())
        html += tr("; category %1").arg(QString::fromStdString(stimuli.categories[object]).toHtmlEscaped());
    const ObjectFailure& failure = result->alignment.allModelsWrong[object];
    html += tr("; in %1 triplets, every model wrong in %2 of them</p>")
                .arg(failure.triplets)
                .arg(failure.allWrong);
    const bool withNeighbours = !result->neighbours.empty();
    // One block per model: its accuracy, then its neighbours beside people's (a narrow panel reads blocks
    // better than a wide table).
    for (size_t m = 0; m < analysis->models.size(); ++m) {
        const ObjectAccuracy& accuracy = result->alignment.models[m][object];
        html += tr("<p><b>%1</b>: accuracy %2 (%3 of %4 triplets; 95% interval [%5, %6])")
                    .arg(QString::fromStdString(analysis->models[m].name).toHtmlEscaped(),
                         number(accuracy.accuracy))
                    .arg(accuracy.correct)
                    .arg(accuracy.triplets)
                    .arg(number(accuracy.ci95.low), number(accuracy.ci95.high));
        if (accuracy.triplets > accuracy.correct)
            html += tr(" — <a href=\"triplets:%1\">its %2 wrong triplets with this object</a>")
                        .arg(m)
                        .arg(accuracy.triplets - accuracy.correct);
        if (withNeighbours) {
            const ObjectNeighbours& neighbours = result->neighbours[m].objects[object];
            const QSet<std::int64_t> human(neighbours.human.begin(), neighbours.human.end());
            const QSet<std::int64_t> model(neighbours.model.begin(), neighbours.model.end());
            // Shared neighbours in bold in both lists.
            const auto list = [&](const std::vector<std::int64_t>& order, const QSet<std::int64_t>& other) {
                QStringList names;
                for (std::int64_t s : order)
                    names << (other.contains(s) ? QStringLiteral("<b>%1</b>").arg(name(s)) : name(s));
                return names.join(QStringLiteral(", "));
            };
            html += tr("<br>%1 nearest under the model: %2<br>under %3: %4<br>shared %5 (J@%1 %6), "
                       "Spearman's rho of its rows %7")
                        .arg(result->neighbours[m].k)
                        .arg(list(neighbours.model, human),
                             QString::fromStdString(result->humanName).toHtmlEscaped(),
                             list(neighbours.human, model))
                        .arg(neighbours.shared)
                        .arg(number(neighbours.jaccard), number(neighbours.spearman));
        }
        html += QStringLiteral("</p>");
    }
    if (!withNeighbours)
        html += tr("<p>Open a concept space (VICE) to compare each model's neighbours with people's.</p>");
    m_details->setText(html);
}

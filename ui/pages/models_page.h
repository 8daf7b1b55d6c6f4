#pragma once
// Models page: the Session's TorchScript models, a card per model (file, hash, parameters, methods,
// device) from the ExtractionController's inspection, and its queue of extraction jobs with per-job
// progress and cancel. Extracted features join the Session as models for every other page.

#include <QPointer>
#include <QWidget>
#include <optional>

class ExtractionController;
class ModelCatalogueDialog;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;
class Session;

class ModelsPage : public QWidget
{
    Q_OBJECT
public:
    ModelsPage(Session* session, ExtractionController* extraction, QWidget* parent = nullptr);

    QString selectedModel() const;
    void selectModel(const QString& path);
    QString cardText() const;
    QTableWidget* jobTable() const { return m_jobs; }

    // "Add models…": opens the catalogue dialog (filled from alignscope-cli models list in a child process);
    // `dropped` files that name models (see modelByNameOf) are listed first, chosen. Its accepted choices
    // are queued as export+extract jobs.
    ModelCatalogueDialog* showCatalogue(const QStringList& dropped = {});
    ModelCatalogueDialog* catalogueDialog() const; // the open one, else null
    // A dropped file as a model by name: FILE.py → python:FILE.py; a torchvision weights file
    // (resnet50-0676ba61.pth) → torchvision:resnet50 with the file as its weights; else empty.
    struct DroppedModel
    {
        QString spec, weights;
    };
    static std::optional<DroppedModel> modelByNameOf(const QString& path);

Q_SIGNALS:
    void openRequested(const QStringList& paths); // "Add model…"

private:
    void refreshModels();
    void showCard();
    void openSettings();
    void addJobRow(int job);
    void showJob(int job);
    void renameFromTable(QTableWidgetItem* cell);

    Session* m_session;
    ExtractionController* m_extraction;
    QListWidget* m_models;
    QLabel* m_card;
    QPushButton* m_extract;
    QTableWidget* m_jobs;
    QPointer<ModelCatalogueDialog> m_catalogue;
};

#pragma once
// One cell of the RDM page's heatmaps (or a row of its divergent pairs) in detail: the two stimuli with
// their images, the human and the model dissimilarity of the pair and each one's rank among all pairs
// (1 = the most similar pair), the rank difference, and a link to the odd-one-out triplets that contain both
// (the triplet browser, when the stimuli are objects of the triplets: matched by ID).

#include <QWidget>
#include <cstdint>
#include <memory>

class QLabel;
class ThumbnailCache;
class TaskRunner;
namespace alignscope {
struct RsaAnalysis;
}

// A value's rank among `values` (1 = the smallest; ties share their average rank) and how many there are.
struct PairRank
{
    double rank = 0;
    std::int64_t of = 0;
};

class RdmPairPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RdmPairPanel(TaskRunner* tasks, QWidget* parent = nullptr);
    // Stimuli `a` and `b` (indices into the analysis's stimuli) under model `model`; a pair outside the
    // analysis clears the panel.
    void setPair(std::shared_ptr<const alignscope::RsaAnalysis> analysis, int model, std::int64_t a,
                 std::int64_t b);
    void clear();
    QString text() const; // what the panel says, as rich text
    std::shared_ptr<const alignscope::RsaAnalysis> analysis() const { return m_analysis; }
    std::int64_t first() const { return m_a; }
    std::int64_t second() const { return m_b; }
    PairRank humanRank() const { return m_humanRank; }
    PairRank modelRank() const { return m_modelRank; }
    // What the link asks for (as if clicked).
    void openTriplets();

Q_SIGNALS:
    // The triplets that contain both stimuli, by their IDs.
    void tripletsRequested(const QString& firstId, const QString& secondId);

private:
    void refreshImages();

    ThumbnailCache* m_thumbnails;
    QLabel* m_images[2];
    QLabel* m_details;
    std::shared_ptr<const alignscope::RsaAnalysis> m_analysis;
    std::int64_t m_a = -1, m_b = -1;
    PairRank m_humanRank, m_modelRank;
};
